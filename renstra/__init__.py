"""Renstra document pipeline: one YAML source to an archival PDF and an editable DOCX."""

__version__ = "0.1.0"
