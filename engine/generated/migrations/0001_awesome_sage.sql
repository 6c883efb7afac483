ALTER TABLE `party` ADD `gm_link_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `party` ADD `player_link_version` integer DEFAULT 1 NOT NULL;