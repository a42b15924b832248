"""What the site tells people: the outbox, its delivery channels (SMTP, SMS, the site's inbox),
reminders and notices. Business operations only ever write outbox rows (``outbox.queue_message``);
workers deliver them (``relay``)."""
