"""Settings: ``base`` holds everything, ``dev``/``test``/``production`` only what differs."""
