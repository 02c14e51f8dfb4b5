-- Stopping the collector would let garbage grow unchecked (line 2).
collectgarbage("stop")
