from django.db import models


class Game(models.Model):
    """A title tournaments are played in. All current games are battle-royale lobbies ranked by
    placement (docs/scoring.md); a head-to-head game would add a `format` here and its own scorer in
    core/scoring/."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    squad_size = models.PositiveSmallIntegerField()
    max_substitutes = models.PositiveSmallIntegerField(default=1)
    lobby_size = models.PositiveSmallIntegerField(help_text="Teams per match lobby")
    default_points_preset = models.CharField(max_length=32)
    banner = models.CharField(
        max_length=200, blank=True, help_text="Static path of the default banner image"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
