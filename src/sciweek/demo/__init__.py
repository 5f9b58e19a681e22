"""The built-in demo: the Zibo 2023 Science and Technology Activity Week, loaded by ``sciweek demo``."""
