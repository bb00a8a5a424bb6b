"""Policies and the auditor: rules x menus -> stamped, waived findings, counted once."""
