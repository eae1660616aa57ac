from collections.abc import Callable
from typing import Any

KIND_F64: int
KIND_F32: int
KIND_I32: int
KIND_U32: int
KIND_I64: int
KIND_U64: int
KIND_BOOL: int

class Unsupported(NotImplementedError): ...
class Corrupt(ValueError): ...

def decode_chunk(
    chunk: Any,
    kind: int,
    max_def: int,
    out: Any,
    decompress: Callable[[Any, int], Any] | None = None,
) -> None: ...
