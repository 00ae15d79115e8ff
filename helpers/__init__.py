"""Everything a notebook needs besides `stripe`: backend choice, servers, lesson setup."""

from .backend import Backend, BackendError, get_backend, load_backend, mask_key
from .lesson import Lesson, start_lesson
from .servers import EmulatorProcess, emulator_health, ensure_emulator, stop_emulator

__all__ = [
    "Backend",
    "BackendError",
    "EmulatorProcess",
    "Lesson",
    "emulator_health",
    "ensure_emulator",
    "get_backend",
    "load_backend",
    "mask_key",
    "start_lesson",
    "stop_emulator",
]
