"""A record of every email the task sends, by the idempotency key given when it was queued: a
redelivered task (a worker killed mid-send, acks late) finds it sent and sends nothing again."""

from django.db import models


class SentEmail(models.Model):
    key = models.CharField(max_length=64, unique=True)
    template = models.CharField(max_length=60)
    to = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({'sent' if self.sent_at else 'pending'})"
