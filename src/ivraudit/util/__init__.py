"""Small services with no menu knowledge: atomic writes, file watching, the GC pause."""
