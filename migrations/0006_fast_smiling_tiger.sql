ALTER TABLE `customers` ADD `banned` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `ban_reply_sent` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `flood_window_until` datetime(3);--> statement-breakpoint
ALTER TABLE `messages` ADD `not_relayed` varchar(16);