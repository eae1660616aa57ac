"""Type stubs for numkit._kernels._memory."""

from typing import Literal

from typing_extensions import Buffer

def overlap(x: Buffer, y: Buffer) -> Literal[0, 1, 2]: ...
