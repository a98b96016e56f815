from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certs.models import Certification, Feature, Value


def content_problems() -> list[str]:
    """Every rule a model's clean() enforces, run over the whole database, plus completeness:
    each certification has a value (possibly "not disclosed") for every feature. A certification
    may lack exam versions and skill domains: where our sources have no outline, the pages say
    so rather than invent one."""
    problems = []
    for model in apps.get_app_config("certs").get_models():
        if model._meta.model_name.startswith("historical") or model.__name__ == "ContentVersion":
            continue
        for obj in model._default_manager.all():
            try:
                obj.full_clean()
            except ValidationError as error:
                problems.append(f"{model._meta.label} {obj}: {error.message_dict}")
    have = set(Value.objects.values_list("certification__slug", "feature__slug"))
    for cert in Certification.objects.order_by("slug"):
        for feature in Feature.objects.order_by("slug"):
            if (cert.slug, feature.slug) not in have:
                problems.append(f"{cert.slug} has no value for {feature.slug}")
    return problems


class Command(BaseCommand):
    help = "Check that the content is valid and complete; exit non-zero listing what is not."

    def handle(self, *args, **options):
        problems = content_problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} content problem(s)")
        self.stdout.write("content OK")
