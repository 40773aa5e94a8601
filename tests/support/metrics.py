"""Reading /metrics as Prometheus would: the text format parsed by prometheus-client's own
parser, into {(sample name, frozenset of label pairs): value}."""

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

TOKEN = "test-metrics-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: Any) -> float:
    """A sample's value, 0 when the series does not exist yet (as PromQL's `or vector(0)`)."""
    return samples.get((name, frozenset((k, str(v)) for k, v in labels.items())), 0.0)
