"""manage.py review approve|reject|return UPLOAD... --user NAME [--reason TEXT]: the review
page's decision on whole batches, without the web (a bulk migration from a provincial
database: import_layer, then review).

Each upload is decided by the review page's own service (app.review.services), in a
transaction of its own, recorded in every record's history under the named user, with the
same checks: the user must be allowed to review, a reason is required to reject or send back,
and only a committed upload's submitted records are decided on. An upload that cannot be
decided is reported and the next one is still decided; the command then exits 1 naming them.

It prints in the site's language (Vietnamese) unless ``LANGUAGE`` asks for English, like
add_user (app.accounts.language.command_language).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from app.accounts import policy
from app.accounts.language import command_language
from app.review import services
from app.uploads.services import UploadNotFound

DECIDE = {
    services.APPROVE: services.approve_batch,
    services.REJECT: services.reject_batch,
    services.RETURN: services.return_batch,
}

# What the decision made of the submitted records, in the review page's words.
DONE = {
    decision: services.BATCH_REVIEW_WORDS[status] for decision, status in services.DECISIONS.items()
}


class Command(BaseCommand):
    help = (
        "Approve, reject or send back for correction (return) the submitted records of "
        "committed uploads, as the review page does, recorded under --user (an analyst). "
        "--reason is required to reject or return."
    )

    def add_arguments(self, parser):
        parser.add_argument("decision", choices=list(DECIDE))
        parser.add_argument("uploads", nargs="+", type=int, metavar="UPLOAD", help="Upload id.")
        parser.add_argument("--user", required=True, help="User name of the analyst deciding.")
        parser.add_argument(
            "--reason", default="", help="Why; required to reject or return (send back)."
        )

    def handle(self, *args, **options):
        with translation.override(command_language()):
            self._decide(**options)

    def _decide(self, *, decision, uploads, user, reason, **options):
        reviewer = get_user_model().objects.filter(username=user).first()
        if reviewer is None:
            raise CommandError(
                _("no user %(name)r; add one with manage.py add_user --role analyst")
                % {"name": user}
            )
        refused = []
        for upload_id in dict.fromkeys(uploads):
            try:
                upload = DECIDE[decision](upload_id=upload_id, user=reviewer, reason=reason)
            except policy.NotAllowed as refusal:
                # The same for every upload: nothing has been decided yet.
                raise CommandError(
                    _("%(name)s may not review: %(why)s") % {"name": user, "why": refusal.message}
                ) from None
            except services.ReviewRefused as refusal:
                raise CommandError(f"--{refusal.parameter}: {refusal.message}") from None
            except (UploadNotFound, services.ReviewConflict) as refusal:
                self.stderr.write(refusal.message)
                refused.append(upload_id)
                continue
            self.stdout.write(
                _("Upload %(id)s: its submitted records are %(done)s.")
                % {"id": upload.pk, "done": DONE[decision]}
            )
        if refused:
            raise CommandError(
                _("not decided: upload(s) %(ids)s (see above); the other uploads were decided")
                % {"ids": ", ".join(map(str, refused))}
            )
