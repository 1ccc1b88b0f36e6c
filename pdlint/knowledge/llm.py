"""LLM APIs (OpenAI, Anthropic, Google GenAI): a prompt holding personal data is a
disclosure to the model's provider."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec

SPEC = Spec(
    name="llm",
    recipients=(
        Recipient("openai.", "OpenAI"),
        Recipient("anthropic.", "Anthropic"),
        Recipient("google.genai.", "Google GenAI"),
        Recipient("google.generativeai.", "Google GenAI"),
    ),
)
