from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """Django's require_* decorators answer 405 with an empty body; give visitors a readable page
    in the site's layout instead, keeping the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string(
                "405.html", {"allowed": response.get("Allow", "")}, request=request
            )
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
