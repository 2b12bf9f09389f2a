"""The one exception type for bad input.

Anything a user can get wrong (a file, a row, a field, an option) raises InputError; the command
line prints it as one paragraph on stderr and exits with code 2. Programming errors are left to
propagate so that they are never mistaken for bad input.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        location: str | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.location = location
        self.field = field
        self.expected = expected

    def located(self, *, file: str | Path | None = None, location: str | None = None) -> InputError:
        """The same error with a file or location filled in where it was not known yet."""
        return InputError(
            self.message,
            file=self.file or (str(file) if file is not None else None),
            location=self.location or location,
            field=self.field,
            expected=self.expected,
        )

    def __str__(self) -> str:
        where = "，".join(
            part
            for part in (
                self.file,
                self.location,
                f"字段 {self.field}" if self.field else None,
            )
            if part
        )
        text = f"{where}：{self.message}" if where else self.message
        if self.expected:
            text += f"（应为：{self.expected}）"
        return text
