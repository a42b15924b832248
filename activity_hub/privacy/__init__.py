"""privacy: the privacy notice, consent records and the audit log of who read whose personal data."""
