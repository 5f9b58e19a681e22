from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sciweek.demo"
    label = "demo"
