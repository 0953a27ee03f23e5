"""The report of benchmarks/two_cores.py: ratios to PyTorch with 2 threads, what the second
thread gave each library, and the section it writes into docs/benchmarks.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import two_cores  # noqa: E402


def _results(seconds: dict) -> dict:
    return {name: {"rate": 100 / t[0], "spread": 0.0, "times": t}
            for name, t in seconds.items()}


RESULTS = _results({
    "pytorch, 2 threads": [1.0, 2.0, 1.0],          # a slow spell in round 2 slows all
    "pytorch, 1 thread": [2.0, 4.0, 2.0],
    "redes, 2 threads": [1.5, 3.0, 1.5],
    "redes, 1 thread": [2.0, 4.0, 2.0],
    "redes, half batch per thread": [1.25, 2.5, 1.25],
    "redes, half batch per process": [1.0, 2.0, 1.0],
    "redes, ideal two cores": [0.8, 1.6, 0.8],
})


def test_rows_give_each_contender_its_ratio_to_pytorch_with_two_threads():
    ratios = {row[0]: row[2] for row in two_cores.rows(RESULTS)}
    assert ratios == {"pytorch, 2 threads": "1.00x", "pytorch, 1 thread": "0.50x",
                      "redes, 2 threads": "0.67x", "redes, 1 thread": "0.50x",
                      "redes, half batch per thread": "0.80x",
                      "redes, half batch per process": "1.00x",
                      "redes, ideal two cores": "1.25x"}


def test_summary_says_what_the_second_thread_gave_and_the_ideal_ratio():
    assert two_cores.summary(RESULTS) == (
        "The second thread made PyTorch 2.00x and redes 1.33x as fast; the ideal split of "
        "redes' work between two cores would be 1.25x PyTorch with 2 threads.")


def test_docs_section_holds_a_table_per_model_and_the_command():
    text = two_cores.docs_section({"cnn": RESULTS, "lstm": RESULTS}, ["CPU: test"], 3)
    assert "`python benchmarks/two_cores.py`" in text and "- CPU: test" in text
    for model in ("cnn", "lstm"):
        heading = f"### {two_cores.TITLES[model]}"
        assert heading in text
        block = text.split(heading)[1]
        assert f"{two_cores.SAMPLES[model]:,} samples per epoch, 3 rounds." in block
        assert "| redes, ideal two cores | 125 | 1.25x | 0% |" in block
