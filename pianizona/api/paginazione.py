from rest_framework.pagination import PageNumberPagination


class Paginazione(PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 a page); ``count``, ``next``, ``previous``, ``results``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "Pagina non valida."
    page_query_description = "Il numero della pagina, da 1."
    page_size_query_description = (
        f"Quanti elementi per pagina: {page_size} se omesso, al più {max_page_size}."
    )
