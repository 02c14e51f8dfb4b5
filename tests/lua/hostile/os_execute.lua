-- The shell is not part of the sandbox (line 2).
os.execute("echo pwned > /tmp/spiral-pwned")
