"""The read-only REST API (/api/v1/) and the open-data pages: infrastructure in the core.

Keys or the session authenticate; ``pianizona.accessi.tenancy`` decides what is visible, as for pages;
each phase app contributes its endpoints (``registry.registra_api``) and its open datasets
(``registry.registra_dataset_aperto``).
"""
