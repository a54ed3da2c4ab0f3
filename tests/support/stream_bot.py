"""An unmodified DingTalk Stream-mode bot, written as DingTalk's own SDK documentation
shows: it answers every @mention with "echo: <text>". Run as a separate process with
``DINGTALK_OPENAPI_ENDPOINT`` pointing at Hobnail (the SDK's one setting for the server)."""

from __future__ import annotations

import sys

import dingtalk_stream


class Echo(dingtalk_stream.ChatbotHandler):
    async def process(self, callback: dingtalk_stream.CallbackMessage) -> tuple[int, str]:
        incoming = dingtalk_stream.ChatbotMessage.from_dict(callback.data)
        text = incoming.text.content.strip()
        self.reply_text(f"echo: {text} (from {incoming.sender_nick})", incoming)
        return dingtalk_stream.AckMessage.STATUS_OK, "OK"


def main() -> None:
    client_id, client_secret = sys.argv[1], sys.argv[2]
    client = dingtalk_stream.DingTalkStreamClient(dingtalk_stream.Credential(client_id, client_secret))
    client.register_callback_handler(dingtalk_stream.chatbot.ChatbotMessage.TOPIC, Echo())
    client.start_forever()


if __name__ == "__main__":
    main()
