from rest_framework.pagination import PageNumberPagination as BasePagination


class PageNumberPagination(BasePagination):
    """``?page=`` and ``?page_size=`` (at most 100); responses carry count/next/previous/results."""

    page_size_query_param = "page_size"
    max_page_size = 100
