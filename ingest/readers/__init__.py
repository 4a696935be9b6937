"""Format readers: bytes to a Document of paragraphs and tables."""
