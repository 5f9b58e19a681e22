"""Who may do what with activity media.

- the host's people add media while the activity is a draft, returned, published or held
  (photos of the day come after publication), and delete their own activity's items;
- the organiser's office staff hide any item (with a reason) and curate the online hall;
- whoever may see the activity in the back office may see its media there, hidden or not.

Item permissions take the MediaItem as object; ``add_media`` takes the Activity.
"""

import rules

from sciweek.activities.rules import acts_for_host, is_area_reviewer
from sciweek.organizations.rules import is_organizer_admin, is_organizer_staff, is_platform_admin

from .enums import MEDIA_OPEN_STATES


@rules.predicate
def open_for_media(user, activity) -> bool:
    return activity is not None and activity.state in MEDIA_OPEN_STATES


@rules.predicate
def acts_for_item_host(user, item) -> bool:
    return item is not None and acts_for_host.test(user, item.activity)


@rules.predicate
def reviews_item_area(user, item) -> bool:
    return item is not None and is_area_reviewer.test(user, item.activity)


is_curator = is_organizer_staff | is_platform_admin

rules.add_perm("media.add_media", acts_for_host & open_for_media)
rules.add_perm("media.view_media", acts_for_item_host | reviews_item_area | is_curator)
rules.add_perm("media.delete_media", acts_for_item_host | is_organizer_admin | is_platform_admin)
rules.add_perm("media.hide_media", is_curator)
rules.add_perm("media.feature_media", is_curator)
rules.add_perm("media.curate_hall", is_curator)
