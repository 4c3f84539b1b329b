"""The support desk's rules: reading what staff type into /find, masking what a list shows, and which
account actions a role may take on a record. Pure functions, no I/O."""
