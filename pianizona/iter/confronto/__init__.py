"""Plans side by side: ``calcolo`` compares snapshots, ``selettori`` finds and loads them."""
