from rest_framework.pagination import PageNumberPagination as BasePagination

from sciweek.common.pagination import CappedPaginator


class ApiPaginator(CappedPaginator):
    max_pages = 500


class PageNumberPagination(BasePagination):
    """``?page=`` and ``?page_size=`` (at most 100); responses carry count/next/previous/results.
    The count stops at 500 pages' worth (``count`` is then the cap + 1) and no page beyond the
    500th is served, so no list costs more as the tables grow."""

    django_paginator_class = ApiPaginator

    page_size_query_param = "page_size"
    max_page_size = 100
