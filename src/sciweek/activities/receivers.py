from django.dispatch import receiver

from sciweek.campaigns.signals import edition_created

from .services import seed_categories


@receiver(edition_created)
def give_new_edition_categories(sender, edition, source, **kwargs):
    seed_categories(edition=edition, source=source)
