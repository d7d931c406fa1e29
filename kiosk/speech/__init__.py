"""Read-aloud: `synth` (pyttsx3 in a child process, no Qt) and `narrator` (Qt playback).

Keep this file free of imports: the synthesizer's child process imports `kiosk.speech.synth`,
which runs this file first, and must never load Qt.
"""
