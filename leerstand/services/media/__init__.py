"""Fotos und Dokumente: checked uploads (``uploads``), re-encoded images (``images``), the file
store (``storage``), staff photos and documents (``photos``, ``documents``) and the one rule of
what the public may see (``rule``, ``visibility``). Citizens' reports live in ``reports``."""
