"""ivraudit: audit IVR phone menus for how hard they make it to reach a person."""

__version__ = "0.1.0"
