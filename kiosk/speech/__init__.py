"""Read-aloud. `synth` (the kiosk's side), `engine` (pyttsx3 in the child process), `voices`,
`timing` and `choices` have no Qt; `narrator` plays the audio through Qt.

Keep this file free of imports: the speech child imports `kiosk.speech.engine`, which runs
this file first, and must never load Qt.
"""
