"""Passwords, the password-wrapped store key and the key ring file (issue 8). No Qt, no SQL."""
