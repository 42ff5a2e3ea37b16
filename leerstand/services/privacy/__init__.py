"""Privacy (DSGVO): the right of access (``access``, ``bundle``: Art. 15/20), the log of who
read, exported or printed whose personal data (``access_log``), and erasure, restriction and
retention."""
