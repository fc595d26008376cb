"""Each command through click's runner: exact output and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from docgen.batchreport import width
from docgen.cli import DocgenCommand, cli, safe_output

WriteTown = Callable[..., Path]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def template(make_template: Callable[..., Path]) -> Path:
    return make_template("{{ title }}", "{{ intro }}", "{{ achievements_summary }}", "{{ author }}")


def test_render_prints_the_path(runner: CliRunner, town_file: WriteTown, template: Path,
                                workdir: Path) -> None:
    result = runner.invoke(cli, ["render", str(town_file()), "-t", str(template)])
    assert (result.exit_code, result.stdout) == (0, "output/沽东镇2024年工作总结.docx\n")
    # the small template lacks the genre's four parts: a warning on stderr, not a failure
    assert result.stderr.startswith("Warning: output/沽东镇2024年工作总结.docx: whole document: "
                                    "[structure]")
    assert (workdir / "output" / "沽东镇2024年工作总结.docx").is_file()


def test_render_shows_the_warnings_of_a_draft_it_refuses(runner: CliRunner, town_file: WriteTown,
                                                          template: Path, workdir: Path,
                                                          make_template: Callable[..., Path]) -> None:
    """All that the check found, at once: the warnings too, not only the error that stops it."""
    slipped = make_template("{{ title }}", "{{ intro }}", "联系人：xx", name="slipped.docx")
    result = runner.invoke(cli, ["render", str(town_file()), "-t", str(slipped)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Warning: output/沽东镇2024年工作总结.docx: whole document: [structure]")
    assert "Error: output/沽东镇2024年工作总结.docx: paragraph 3: nothing was written" in result.stderr


def test_render_refuses_to_overwrite_an_edit(runner: CliRunner, town_file: WriteTown,
                                            template: Path, workdir: Path) -> None:
    out = workdir / "draft.docx"
    out.write_bytes(b"an editor's draft")
    result = runner.invoke(cli, ["render", str(town_file()), "-t", str(template), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {out}: the file exists and was not written by docgen; it is "
                             "kept (use --force to replace it)\n")
    assert out.read_bytes() == b"an editor's draft"
    forced = runner.invoke(cli, ["render", str(town_file()), "-t", str(template), "-o", str(out),
                                 "--force"])
    assert (forced.exit_code, forced.stdout) == (0, f"{out}\n")


def test_render_data_error_exit_1_no_traceback(runner: CliRunner, town_file: WriteTown,
                                               template: Path, workdir: Path) -> None:
    data = town_file(**{"through_month: 10": "through_month: 13"})
    result = runner.invoke(cli, ["render", str(data), "-t", str(template)])
    assert result.exit_code == 1
    assert result.output == f"Error: {data}:3: through_month: must be at most 12 (got 13)\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (workdir / "output").exists()


def test_render_usage_errors_exit_2(runner: CliRunner, workdir: Path) -> None:
    assert runner.invoke(cli, ["render"]).exit_code == 2
    missing = runner.invoke(cli, ["render", "nothing.yaml"])
    assert missing.exit_code == 2
    assert "File 'nothing.yaml' does not exist." in missing.output


def test_validate(runner: CliRunner, town_file: WriteTown) -> None:
    good = town_file(name="good.yaml")
    bad = town_file(name="bad.yaml", **{"year: 2024": "year: 2024\nyaer: 2024",
                                         "previous: 3154": "previous: 0"})
    assert runner.invoke(cli, ["validate", str(good)]).output == f"{good}: valid\n"
    result = runner.invoke(cli, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.output == (
        f"{good}: valid\n"
        f"{bad}:3: yaer: unknown field 'yaer' (did you mean 'year'?)\n"
        "Error: 1 of 2 files have problems\n")
    figures = town_file(name="figures.yaml", **{"previous: 3154": "previous: 0"})
    result = runner.invoke(cli, ["validate", str(figures)])
    assert result.output == (
        f"{figures}:17: indicators.income.previous: growth cannot be computed from a previous value of "
        "0: it must be above 0\nError: 1 of 1 files have problems\n")


def test_validate_finds_what_renders_check_would_refuse(
        runner: CliRunner, town_file: WriteTown, make_template: Callable[..., Path]) -> None:
    """A slip the data writes (here "xx") is named at its line; one the template writes, at the
    draft's paragraph. Nothing is written."""
    slipped = town_file(**{"重点发展奶牛养殖": "重点发展xx养殖", "村级管理": "xx村管理"})
    result = runner.invoke(cli, ["validate", str(slipped)])
    assert (result.exit_code, result.stdout) == (1, (  # each "xx" at its own line, not at both
        f"{slipped}:38: [placeholder] placeholder \"xx\" left where a name or figure belongs: "
        "…种植结构单一，技术含量较低；二是【xx】村管理规范化程度不高。\n"
        f"{slipped}:42: [placeholder] placeholder \"xx\" left where a name or figure belongs: "
        "2025年，重点发展【xx】养殖。\n"))
    template = make_template("{{ title }}", "{{ intro }}", "联系人：xx", "{{ author }}")
    good = town_file(name="good.yaml")
    result = runner.invoke(cli, ["validate", str(good), "-t", str(template)])
    assert (result.exit_code, result.stdout.splitlines()[0]) == (1, (
        f"{good}: the draft, at paragraph 3 (not found as written in the data: the template writes "
        "it, or a figure docgen computed): [placeholder] placeholder \"xx\" left where a name or "
        "figure belongs: 联系人：【xx】"))
    # and the warnings render would print: this template has none of the genre's four parts
    assert result.stdout.splitlines()[1] == (
        f"Warning: {good}: the draft as a whole: [structure] no heading for 工作回顾、主要成绩、存在的问题、"
        "工作打算; a summary has 工作回顾, 主要成绩, 存在的问题 and 工作打算, in that order")
    assert sorted(p.name for p in good.parent.iterdir()) == ["good.yaml", "template.docx", "town.yaml"]


def test_new_from_last_year(runner: CliRunner, town_file: WriteTown, workdir: Path) -> None:
    last = town_file()
    result = runner.invoke(cli, ["new", "沽东镇", "--year", "2025", "--from", str(last)])
    assert (result.exit_code, result.output) == (0, "沽东镇2025.yaml\n")
    data = yaml.safe_load((workdir / "沽东镇2025.yaml").read_text(encoding="utf-8"))
    assert data["year"] == 2025
    assert data["through_month"] == 10  # last year's figures cover 1—10月: compared with the same
    assert data["superior"] == "滨河区"
    assert data["indicators"]["gdp"] == {"name": "国民生产总值", "unit": "万元", "value": None,
                                         "previous": 14500}
    assert list(data["indicators"]) == ["gdp", "income", "party", "cotton", "farmland"]
    again = runner.invoke(cli, ["new", "沽东镇", "--year", "2025"])
    assert again.exit_code == 1
    assert again.output == ("Error: 沽东镇2025.yaml: the file exists; it is kept (use --force to "
                            "replace it)\n")


@pytest.mark.parametrize(("town", "year", "message"), [
    ("西湖乡", "2025", "--from is the data of 沽东镇, not of 西湖乡: its values cannot be 西湖乡's "
                      "'previous', nor its signature 西湖乡's"),
    ("沽东镇", "2026", "--from is the data of 2024, not of the year before 2026: its values cannot "
                      "be this year's 'previous'"),
    ("沽东镇", "2024", "--from is the data of 2024, not of the year before 2024: its values cannot "
                      "be this year's 'previous'")])
def test_new_from_another_towns_or_years_file_is_refused(
        runner: CliRunner, town_file: WriteTown, workdir: Path, town: str, year: str, message: str) -> None:
    last = town_file()
    result = runner.invoke(cli, ["new", town, "--year", year, "--from", str(last)])
    assert (result.exit_code, result.output) == (1, f"Error: {last}: {message}\n")
    assert not (workdir / f"{town}{year}.yaml").exists()


def test_new_writes_into_a_folder_and_refuses_another_suffix(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["new", "青山乡", "--year", "2024", "-o", "草稿/"])
    assert (result.exit_code, result.output) == (0, f"{Path('草稿') / '青山乡2024.yaml'}\n")
    result = runner.invoke(cli, ["new", "青山乡", "--year", "2024", "-o", "q.yml"])
    assert (result.exit_code, result.output) == (0, "q.yml\n")
    result = runner.invoke(cli, ["new", "青山乡", "--year", "2024", "-o", "q.txt"])
    assert (result.exit_code, result.output) == (
        1, "Error: q.txt: the output must be a .yaml file or a folder, not 'q.txt'\n")


def test_new_file_lists_what_to_fill_in(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["new", "青山乡", "--year", "2024", "-o", "q.yaml"])
    assert result.exit_code == 0
    text = (workdir / "q.yaml").read_text(encoding="utf-8")
    assert "# 青山乡2024年工作总结" in text
    check = runner.invoke(cli, ["validate", "q.yaml"])
    assert check.exit_code == 1
    assert "q.yaml:14: indicators.gdp.value: a number is needed" in check.output
    assert "q.yaml:20: review[0].title: must not be empty" in check.output


def test_schema(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["town", "year", "review", "problems", "outlook"]
    assert "through_month" in schema["properties"]


def test_help_and_version(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["--version"]).output.startswith("docgen, version ")
    for command in ("render", "validate", "new", "schema"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: cli {command}")


def test_messages_in_chinese(runner: CliRunner, town_file: WriteTown, template: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    data = town_file(**{"through_month: 10": "through_month: 13"})
    result = runner.invoke(cli, ["render", str(data), "-t", str(template)])
    assert result.exit_code == 1
    assert result.output == f"错误：{data}:3: through_month: 必须不大于12（现为13）\n"


@pytest.mark.parametrize(("args", "expected"), [
    (["render"], "用法: cli render [OPTIONS] DATA\n运行“cli render --help”查看帮助。\n\n"
                 "错误：缺少参数 'DATA'.\n"),
    (["rendr"], "用法: cli [OPTIONS] COMMAND [ARGS]...\n运行“cli --help”查看帮助。\n\n"
                "错误：没有命令 'rendr'。 （是否应为：'render'？）\n"),
    (["new", "沽东镇", "--year", "3000"], "用法: cli new [OPTIONS] TOWN\n运行“cli new --help”查看帮助。\n\n"
                                         "错误：'--year' 的值无效：3000 不在范围 1949<=x<=2100 内。\n"),
])
def test_clicks_own_texts_in_chinese(runner: CliRunner, workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                     args: list[str], expected: str) -> None:
    """A secretary under a Chinese locale reads click's usage errors in Chinese too, not "Error:
    Missing argument 'DATA'." among docgen's Chinese messages."""
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.output) == (2, expected)


def test_clicks_help_in_chinese(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    shown = runner.invoke(cli, ["check", "--help"]).output
    assert shown.startswith("用法: cli check [OPTIONS] FILES...\n")
    assert "\n选项:\n" in shown and "  --help  " in shown and shown.rstrip().endswith("显示本帮助并退出。")


def test_a_chinese_help_is_cut_by_its_columns_in_the_command_list() -> None:
    """Click cuts a command's help at spaces, which a Chinese sentence has none of: alone, it
    listed `check` as "..."."""
    def short(help_text: str, limit: int) -> str:
        return DocgenCommand("x", help=help_text).get_short_help_str(limit)

    two_sentences = "检查文稿中的常见差错：数字空缺、年份错误。发现错误时退出码为 1。"
    assert short(two_sentences, 45) == "检查文稿中的常见差错：数字空缺、年份错误。"
    assert short(two_sentences, 24) == "检查文稿中的常见差错…"
    assert short("检查文稿（.docx，生成的或手写的）中的常见差错", 30) == "检查文稿（.docx，生成的或手写…"
    english = "Check data files without writing anything; list every problem with its place."
    assert short(english, 45) == click.Command("x", help=english).get_short_help_str(45) == \
        "Check data files without writing anything;..."


def test_the_chinese_command_list(tmp_path: Path) -> None:
    env = {**os.environ, "DOCGEN_LANG": "zh_CN", "COLUMNS": "80"}
    listed = subprocess.run([sys.executable, "-m", "docgen", "--help"], capture_output=True, text=True,
                            encoding="utf-8", env=env, check=True, cwd=tmp_path).stdout
    assert listed.startswith("用法: docgen [OPTIONS] COMMAND [ARGS]...\n")
    commands = listed.split("命令:\n", 1)[1].splitlines()
    assert commands[1] == "  check     检查文稿（.docx，生成的或手写的）中的常见差错：数字空缺、年份错…"
    assert commands[4] == "  render    生成一个乡镇的工作总结，并输出文档路径。"
    assert all(width(line) <= 80 for line in commands)
    # click names the kind of path when docgen's commands are made, in the language of that moment
    missing = subprocess.run([sys.executable, "-m", "docgen", "render", "无此文件.yaml"], capture_output=True,
                             text=True, encoding="utf-8", env=env, check=False, cwd=tmp_path)
    assert (missing.returncode, missing.stderr.splitlines()[-1]) == \
        (2, "错误：'DATA' 的值无效：文件 '无此文件.yaml' 不存在。")
    version = subprocess.run([sys.executable, "-m", "docgen", "--version"], capture_output=True,
                             text=True, encoding="utf-8", env=env, check=True, cwd=tmp_path).stdout
    assert version.startswith("docgen，版本 ")


def test_output_never_fails_on_a_character_its_encoding_lacks(town_file: WriteTown,
                                                             tmp_path: Path) -> None:
    """On a Chinese Windows a redirected stdout is GBK, strictly: a town named with a character GBK
    lacks stopped the report with a traceback after the draft was written. The encoding stays
    (cmd and PowerShell read the console's code page; here PYTHONIOENCODING stands for it), the
    character shown as "?"; JSON comes out in UTF-8 all the same."""
    data = town_file(**{"town: 沽东镇": "town: 𬇙水镇"})
    env = {**os.environ, "DOCGEN_LANG": "en", "PYTHONIOENCODING": "cp936"}
    run = subprocess.run([sys.executable, "-m", "docgen", "render", str(data), "-o", str(tmp_path)],
                         capture_output=True, env=env, check=False, cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, b"")
    assert run.stdout.decode("cp936") == f"{tmp_path / '?水镇2024年工作总结.docx'}\n"
    assert (tmp_path / "𬇙水镇2024年工作总结.docx").is_file()
    schema = subprocess.run([sys.executable, "-m", "docgen", "schema"], capture_output=True, env=env,
                            check=True, cwd=tmp_path).stdout
    assert json.loads(schema.decode("utf-8"))["properties"]["town"]


def test_redirected_output_is_utf8_unless_windows_or_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    class Console(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    def streams() -> tuple[io.TextIOWrapper, io.TextIOWrapper]:
        return io.TextIOWrapper(io.BytesIO(), encoding="cp936"), Console(io.BytesIO(), encoding="cp936")

    def written(stream: io.TextIOWrapper) -> bytes:
        stream.write("𬇙水镇 5000m²\n")
        stream.flush()
        return stream.buffer.getvalue()  # type: ignore[attr-defined,no-any-return]

    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    redirected, console = streams()
    safe_output((redirected, console))
    assert written(redirected).decode("utf-8") == "𬇙水镇 5000m²\n"
    assert written(console).decode("cp936") == "?水镇 5000m?\n"
    monkeypatch.setattr(sys, "platform", "win32")
    redirected, console = streams()
    safe_output((redirected, console))
    assert written(redirected).decode("cp936") == "?水镇 5000m?\n"


def test_a_warning_is_shown_by_validate_and_named_at_its_data_line_by_render(
        runner: CliRunner, town_file: WriteTown, workdir: Path) -> None:
    """helper-32: validate said "valid", then render warned of the same file, naming only the
    draft's paragraph."""
    data = town_file(**{"重点发展奶牛养殖": "重点发展奶牛养殖，年出栏可达万头"})
    result = runner.invoke(cli, ["validate", str(data)])
    assert (result.exit_code, result.stdout) == (0, (
        f"Warning: {data}:42: [blank-number] a number may be missing before \"万头\": "
        "…25年，重点发展奶牛养殖，年出栏【可达万头】。\n"
        f"{data}: valid, with 1 warning\n"))
    result = runner.invoke(cli, ["render", str(data), "-o", "out.docx"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0].endswith(
        f": [blank-number] a number may be missing before \"万头\" (in the data: {data}:42)")


def test_new_writes_its_comments_in_the_users_language(runner: CliRunner, workdir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """helper-32: a Chinese secretary's new data file was full of English comments."""
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    assert runner.invoke(cli, ["new", "青山乡", "--year", "2024", "-o", "q.yaml"]).exit_code == 0
    lines = (workdir / "q.yaml").read_text(encoding="utf-8").splitlines()
    assert "# 青山乡2024年工作总结 — docgen 数据文件。填好所有空着的字段后运行：" in lines
    assert "    value:              # 本年数" in lines
    assert "outlook:                # 四、2025年工作打算：分小节，每节若干段" in lines
    assert '    name: "地区生产总值"' in lines  # the term in use, not 国民生产总值
