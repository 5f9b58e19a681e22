"""``{% showcase_fragment "name" %}…{% endshowcase_fragment %}``: the shared part of a public page
(a list's cards), cached for signed-in visitors, who are never served a whole cached page.

The fragment's key is the page's own cache key (``showcase/cache.py``: its recognised
parameters, the tokens of its tags, the local date and the language), so a change that makes the
page fresh makes its fragments fresh too. What is personal (the header with the visitor's name
and menu, messages) is outside the fragment and rendered for each request. Fragments are stored
within the same hourly budget as pages with parameters; when the shared cache is unreachable
(no key), the fragment is simply rendered.
"""

from django import template
from django.core.cache import cache

from sciweek.showcase.cache import PAGE_TIMEOUT, store_within_budget

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        page = getattr(request, "showcase_key", None)
        user = getattr(request, "user", None)
        if page is None or user is None or not user.is_authenticated:
            return self.nodelist.render(context)
        key = f"showcase:fragment:{self.name}:{page}"
        rendered = cache.get(key)
        if rendered is None:
            rendered = self.nodelist.render(context)
            if store_within_budget(request):
                cache.set(key, rendered, PAGE_TIMEOUT)
        return rendered


@register.tag("showcase_fragment")
def showcase_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% showcase_fragment "name" %} takes one quoted name')
    nodelist = parser.parse(("endshowcase_fragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], nodelist)
