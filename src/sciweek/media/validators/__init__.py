"""Content checks for uploaded media. Each refusal is a ServiceError whose message states the
facts (what was found, what is allowed). Livestream links are checked in sciweek.common.livestream.
"""
