"""Shell completion scripts, generated from the parser (so from the operations table).

``eval "$(chargeapi completion bash)"`` completes resources, actions and their options.
"""

from __future__ import annotations

import argparse
from typing import Any, cast


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        choices: Any = action.choices
        if action.nargs == argparse.PARSER and isinstance(choices, dict):
            return cast("dict[str, argparse.ArgumentParser]", choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings if s.startswith("--")]


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    """A bash (or zsh, through bashcompinit) completion script for ``chargeapi``."""
    cases: list[str] = []
    resources = _subcommands(parser)
    for name, sub in resources.items():
        actions = _subcommands(sub)
        cases.append(f'    "{name}") words="{" ".join(actions)}";;')
        for action, leaf in actions.items():
            cases.append(f'    "{name} {action}") words="{" ".join(_options(leaf))}";;')
    body = "\n".join(cases)
    prefix = "autoload -U +X bashcompinit && bashcompinit\n" if shell == "zsh" else ""
    return f"""{prefix}_chargeapi() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" key words
  key="${{COMP_WORDS[*]:1:2}}"
  [ "$COMP_CWORD" -eq 1 ] && key=""
  [ "$COMP_CWORD" -eq 2 ] && key="${{COMP_WORDS[1]}}"
  case "$key" in
    "") words="{" ".join(resources)} {" ".join(_options(parser))}";;
{body}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -F _chargeapi chargeapi"""
