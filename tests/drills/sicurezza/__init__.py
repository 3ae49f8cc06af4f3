"""Security drills: markers of one district never reach another, login limits, import fuzzing, headers."""
