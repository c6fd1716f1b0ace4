"""NEU safer social networking assistant: the framework-free core."""
