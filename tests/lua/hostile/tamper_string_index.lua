-- Strings cannot be given fields (line 2).
("").pwned = true
