"""The case intake: answer parsers and the case model."""
