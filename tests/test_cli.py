import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from boilerplate.cli import main
from boilerplate.examples import example_path

from .conftest import FIXTURES

SEED = str(FIXTURES / "seed-paywalled-news.html")


def test_classify_prints_one_json_line_per_block(capsys):
    assert main(["classify", SEED]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) > 20
    assert {r["label"] for r in records} == {"content", "chrome"}
    assert all({"id", "order", "label", "score", "tag", "xpath", "text"} <= r.keys() for r in records)


def test_extract_prints_text(capsys):
    assert main(["extract", SEED]) == 0
    out = capsys.readouterr().out
    assert "Holt and Valk name negotiators" in out
    assert "{{numberArticlesLeft}}" not in out


def test_extract_json_and_example(capsys):
    assert main(["extract", "--json", "--example"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    record = json.loads(line)
    assert record["id"] == str(example_path())
    assert "galette" in record["text"].lower()


def test_bad_file_is_reported_and_others_go_on(tmp_path, capsys):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    assert main(["extract", str(png), SEED]) == 1
    captured = capsys.readouterr()
    assert "image.png" in captured.err
    assert "Holt and Valk" in captured.out


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path):
    """`boilerplate classify page.html | head -1`: no traceback when the pipe closes, and the shell's SIGPIPE code.

    The page has enough blocks that their lines overflow the pipe's buffer (64 KB on Linux): with less,
    the writer could finish before the reader closes its end, and exit 0.
    """
    paragraph = "<p>Block {} of a long page, a sentence long enough to count as a paragraph of text.</p>"
    page = tmp_path / "long.html"
    page.write_text("<html><body>" + "".join(paragraph.format(i) for i in range(3000)) + "</body></html>")
    command = [sys.executable, "-m", "boilerplate", "classify", str(page)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        first = process.stdout.readline()
        process.stdout.close()  # the reader goes away with most of the blocks unread
        errors = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert json.loads(first)["order"] == 0
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert code == 141


def test_python_m_reads_standard_input():
    html = (FIXTURES / "seed-paywalled-news.html").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "boilerplate", "extract", "-"], input=html, capture_output=True, check=True
    )
    assert b"Holt and Valk name negotiators" in result.stdout


# The fixture gate CI runs: the shipped model's block precision on the hand-labelled fixtures.
FIXTURE_MIN_PRECISION = "0.95"


def test_fixture_precision_gate(capsys):
    assert main(["evaluate", str(FIXTURES), "--min-precision", FIXTURE_MIN_PRECISION]) == 0
    out = capsys.readouterr().out
    assert "operating point" in out and "where word F1 is lost" in out
    assert "the 10 worst pages by word F1" in out


def test_evaluate_lists_as_many_worst_pages_as_asked(capsys):
    assert main(["evaluate", str(FIXTURES), "--worst", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("the 3 worst pages by word F1")
    assert lines[start + 1].startswith("page") and len(lines[start + 2 :]) == 3
    assert main(["evaluate", str(FIXTURES), "--worst", "0"]) == 0
    assert "worst pages" not in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", str(FIXTURES), "--worst", "-1"])
    assert exit_info.value.code == 2
    assert "zero or more" in capsys.readouterr().err


def test_evaluate_json_and_plot(tmp_path, capsys):
    png = tmp_path / "curve.png"
    assert main(["evaluate", str(FIXTURES), "--json", "--plot", str(png)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["pages"] == len(list(FIXTURES.glob("*.html")))
    assert {"by_page_type", "by_chrome_kind", "operating_points", "pages", "intervals"} <= report.keys()
    assert report["intervals"]["all"]["resamples"] == 1000
    assert png.exists()


def test_evaluate_prints_intervals_unless_told_not_to(capsys):
    assert main(["evaluate", str(FIXTURES), "--worst", "0", "--resamples", "100"]) == 0
    assert "95% intervals from 100 draws of sites" in capsys.readouterr().out
    assert main(["evaluate", str(FIXTURES), "--worst", "0", "--resamples", "0"]) == 0
    assert "95% intervals" not in capsys.readouterr().out


def test_evaluate_against_another_model_reports_the_difference(tmp_path, capsys):
    other = tmp_path / "small.joblib"
    training_data = FIXTURES.parent.parent / "training_data"
    assert main(["train", str(training_data), "-o", str(other), "--param", "max_iter=20", "--no-progress"]) == 0
    assert main(["evaluate", str(FIXTURES), "--worst", "0", "--against", str(other)]) == 0
    out = capsys.readouterr().out
    assert f"the shipped model against {other}:" in out and "paired draws of sites" in out
    assert main(["evaluate", str(FIXTURES), "--json", "--against", str(other), "--resamples", "50"]) == 0
    against = json.loads(capsys.readouterr().out)["against"]
    assert against["model"] == str(other) and against["difference"]["all"]["resamples"] == 50
    args = ["evaluate", str(FIXTURES), "--json", "--against", str(other), "--model", str(other), "--resamples", "50"]
    assert main(args) == 0
    itself = json.loads(capsys.readouterr().out)["against"]["difference"]  # a model against itself
    assert all(row["word_f1"] == 0 and row["block_precision"] == 0 for row in itself.values())


def test_gate_fails_below_the_bar(capsys):
    assert main(["evaluate", str(FIXTURES), "--min-precision", "1.01"]) == 1
    assert "below" in capsys.readouterr().err


def test_readme_workflow_train_then_evaluate(tmp_path, capsys):
    """The README's two commands: a model from a folder of labelled HTML, then its precision report."""
    model = tmp_path / "my-model.joblib"
    training_data = FIXTURES.parent.parent / "training_data"
    assert main(["train", str(training_data), "-o", str(model)]) == 0
    assert model.exists() and model.with_name("my-model.card.json").exists()
    assert main(["evaluate", str(FIXTURES), "--model", str(model), "--min-precision", "0.7"]) == 0
    out = capsys.readouterr().out
    assert "trained on 42 pages" in out


def test_analyze_prints_the_verdict_and_kinds(capsys):
    assert main(["analyze", str(FIXTURES / "seed-paywalled-news.html")]) == 0
    out = capsys.readouterr().out
    assert "paywall: metered" in out
    assert "signals: json-ld, has-part, vendor:piano, meter, template-token, prompt" in out
    assert "chrome by kind:" in out


def test_analyze_json(capsys):
    assert main(["analyze", "--json", str(FIXTURES / "pw-02-hard-piano-news.html")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["paywall"]["type"] == "hard" and record["paywall"]["truncated"]
    assert record["chrome_kinds"]["paywall"] > 0


def test_keep_option(capsys):
    page = str(FIXTURES / "forum-thread.html")
    assert main(["extract", page]) == 0
    plain = capsys.readouterr().out
    assert main(["extract", "--keep", "comments,social", page]) == 0
    kept = capsys.readouterr().out
    assert len(kept) >= len(plain)


def test_strict_chrome_gate(capsys):
    assert main(["evaluate", str(FIXTURES), "--strict-chrome"]) == 0
    right = re.search(r"paywall verdicts right: (\d+) of (\d+)", capsys.readouterr().out)
    assert right and right.group(1) == right.group(2)


def test_json_lines_in_json_lines_out_on_two_processes(tmp_path, capsys):
    pages = sorted(FIXTURES.glob("*.html"))[:6]
    source = tmp_path / "pages.jsonl"
    lines = [json.dumps({"id": p.stem, "url": f"https://example.org/{p.stem}", "html": p.read_text()}) for p in pages]
    source.write_text("\n".join([*lines, "{broken"]) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--json", "--jobs", "2", str(source), "-o", str(out)]) == 1  # one line is broken
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in pages] + [f"{source}:7"]
    assert all(r["error"] is None and r["paywall"] is not None for r in records[:-1])
    assert records[-1]["error"].startswith("JSONDecodeError") and records[-1]["text"] is None
    assert "7 pages, 1 failed" in capsys.readouterr().err


def test_classify_reports_a_failed_page_as_a_record(tmp_path, capsys):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    assert main(["classify", str(png)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["error"].startswith("NotHTMLError")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from Linux's /proc")
def test_a_1000_page_warc_streams_in_bounded_memory(tmp_path):
    """One record per HTML response, and the peak memory of the whole run stays under 500 MB."""
    from .test_sources import write_warc

    pages = sorted(FIXTURES.glob("*.html"))
    responses = [(f"https://example.org/{i}", pages[i % len(pages)].read_bytes(), "text/html") for i in range(1000)]
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, responses)
    out = tmp_path / "out.jsonl"
    # VmHWM is this process's own peak; ru_maxrss would start from the forking pytest process's size.
    script = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from boilerplate.cli import main\n"
        "status = main(['extract', '--json', sys.argv[1], '-o', sys.argv[2]])\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', Path('/proc/self/status').read_text()).group(1)) // 1024)\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(warc), str(out)], capture_output=True, check=True)
    peak_mb = int(result.stdout.decode().split()[-1])
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["url"] for r in records] == [url for url, _, _ in responses]
    assert all(r["error"] is None for r in records)
    assert peak_mb < 500, f"peak memory {peak_mb} MB"


def test_a_model_without_a_card_needs_trust_model(tmp_path, capsys):
    import shutil

    from boilerplate.api import default_model_path

    sent = tmp_path / "sent.joblib"
    shutil.copy(default_model_path(), sent)  # the shipped model's file, without its card
    assert main(["extract", "--model", str(sent), SEED]) != 0
    assert "no model card" in capsys.readouterr().err
    assert main(["extract", "--model", str(sent), "--trust-model", SEED]) == 0
    assert "Holt and Valk name negotiators" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["extract", "--json"], ["classify"]])
def test_an_interrupted_run_resumes_without_losing_or_repeating_a_page(tmp_path, command):
    pages = sorted(FIXTURES.glob("*.html"))[:6]
    source = tmp_path / "pages.jsonl"
    source.write_text("".join(json.dumps({"id": p.stem, "html": p.read_text()}) + "\n" for p in pages))
    whole = tmp_path / "whole.jsonl"
    assert main([*command, str(source), "-o", str(whole)]) == 0
    lines = whole.read_bytes().split(b"\n")
    # Interrupted in the middle of a line, after the first few pages.
    cut_at = len(b"\n".join(lines[: len(lines) // 2])) + 1 + len(lines[len(lines) // 2]) // 2
    resumed = tmp_path / "resumed.jsonl"
    resumed.write_bytes(whole.read_bytes()[:cut_at])
    assert main([*command, str(source), "-o", str(resumed), "--resume"]) == 0
    assert resumed.read_text() == whole.read_text()
    # Resuming a finished run does the last page again and nothing else.
    assert main([*command, str(source), "-o", str(resumed), "--resume"]) == 0
    assert resumed.read_text() == whole.read_text()


def test_resume_needs_json_lines_output(tmp_path, capsys):
    assert main(["extract", SEED, "-o", str(tmp_path / "out.txt"), "--resume"]) != 0
    assert "--json" in capsys.readouterr().err


def test_version_names_the_compiled_modules_in_use(capsys, monkeypatch):
    from boilerplate import __version__, kinds, segmentation

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"boilerplate {__version__} (compiled: ")
    running = ["page walk"] if segmentation._compiled_walk is not None else []
    assert all(name in line for name in running)
    monkeypatch.setattr(segmentation, "_compiled_walk", None)
    monkeypatch.setattr("boilerplate.features._compiled_counts", None)
    monkeypatch.setattr("boilerplate.model._compiled_raw_scores", None)
    monkeypatch.setattr("boilerplate.model._SHIPPED", {})
    monkeypatch.setattr("boilerplate.lexicon._SCANNER", None)
    monkeypatch.setattr("boilerplate.kinds._guesses", kinds._python_guesses)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip().endswith("(compiled: none, pure Python)")
