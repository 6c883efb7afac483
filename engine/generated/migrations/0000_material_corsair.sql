CREATE TABLE `game_session` (
	`id` text PRIMARY KEY NOT NULL,
	`party_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`party_id`) REFERENCES `party`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `game_session_party_idx` ON `game_session` (`party_id`);--> statement-breakpoint
CREATE TABLE `marker` (
	`id` text PRIMARY KEY NOT NULL,
	`scene_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`position_x` real DEFAULT 0 NOT NULL,
	`position_y` real DEFAULT 0 NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`shape` text DEFAULT 'circle' NOT NULL,
	`size` real DEFAULT 48 NOT NULL,
	`color` text DEFAULT '#e03131' NOT NULL,
	`image` text DEFAULT '' NOT NULL,
	`visibility` text DEFAULT 'always' NOT NULL,
	`gm_note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "marker_position_x_check" CHECK("marker"."position_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "marker_position_y_check" CHECK("marker"."position_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "marker_label_check" CHECK(length("marker"."label") <= 120),
	CONSTRAINT "marker_shape_check" CHECK("marker"."shape" IN ('circle', 'square', 'triangle', 'pin')),
	CONSTRAINT "marker_size_check" CHECK("marker"."size" BETWEEN 4 AND 1024),
	CONSTRAINT "marker_color_check" CHECK("marker"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "marker_image_check" CHECK(length("marker"."image") <= 2048),
	CONSTRAINT "marker_visibility_check" CHECK("marker"."visibility" IN ('always', 'gm-only', 'player-only', 'hover')),
	CONSTRAINT "marker_gm_note_check" CHECK(length("marker"."gm_note") <= 2000)
);
--> statement-breakpoint
CREATE INDEX `marker_scene_idx` ON `marker` (`scene_id`);--> statement-breakpoint
CREATE TABLE `party` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`active_game_session_id` text,
	`active_scene_id` text,
	`paused` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`active_game_session_id`) REFERENCES `game_session`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`active_scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `scene` (
	`id` text PRIMARY KEY NOT NULL,
	`game_session_id` text NOT NULL,
	`name` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`last_updated` integer DEFAULT 0 NOT NULL,
	`display_padding` integer DEFAULT 16 NOT NULL,
	`display_resolution_x` real DEFAULT 1920 NOT NULL,
	`display_resolution_y` real DEFAULT 1080 NOT NULL,
	`map_url` text DEFAULT '' NOT NULL,
	`map_offset_x` real DEFAULT 0 NOT NULL,
	`map_offset_y` real DEFAULT 0 NOT NULL,
	`map_zoom` real DEFAULT 1 NOT NULL,
	`map_rotation` real DEFAULT 0 NOT NULL,
	`map_opacity` real DEFAULT 1 NOT NULL,
	`grid_visible` integer DEFAULT true NOT NULL,
	`grid_type` text DEFAULT 'square' NOT NULL,
	`grid_size` real DEFAULT 64 NOT NULL,
	`grid_opacity` real DEFAULT 0.6 NOT NULL,
	`grid_color` text DEFAULT '#000000' NOT NULL,
	`grid_line_width` real DEFAULT 1 NOT NULL,
	`fog_of_war_enabled` integer DEFAULT false NOT NULL,
	`fog_of_war_gm_opacity` real DEFAULT 0.4 NOT NULL,
	`fog_of_war_player_opacity` real DEFAULT 1 NOT NULL,
	`fog_of_war_color` text DEFAULT '#111111' NOT NULL,
	`notes_text` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`game_session_id`) REFERENCES `game_session`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "scene_display_padding_check" CHECK("scene"."display_padding" BETWEEN 0 AND 500),
	CONSTRAINT "scene_display_resolution_x_check" CHECK("scene"."display_resolution_x" BETWEEN 1 AND 16384),
	CONSTRAINT "scene_display_resolution_y_check" CHECK("scene"."display_resolution_y" BETWEEN 1 AND 16384),
	CONSTRAINT "scene_map_url_check" CHECK(length("scene"."map_url") <= 2048),
	CONSTRAINT "scene_map_offset_x_check" CHECK("scene"."map_offset_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_map_offset_y_check" CHECK("scene"."map_offset_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_map_zoom_check" CHECK("scene"."map_zoom" BETWEEN 0.05 AND 20),
	CONSTRAINT "scene_map_rotation_check" CHECK("scene"."map_rotation" BETWEEN -180 AND 180),
	CONSTRAINT "scene_map_opacity_check" CHECK("scene"."map_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_grid_visible_check" CHECK("scene"."grid_visible" IN (0, 1)),
	CONSTRAINT "scene_grid_type_check" CHECK("scene"."grid_type" IN ('square', 'hex')),
	CONSTRAINT "scene_grid_size_check" CHECK("scene"."grid_size" BETWEEN 8 AND 512),
	CONSTRAINT "scene_grid_opacity_check" CHECK("scene"."grid_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_grid_color_check" CHECK("scene"."grid_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_grid_line_width_check" CHECK("scene"."grid_line_width" BETWEEN 0.5 AND 16),
	CONSTRAINT "scene_fog_of_war_enabled_check" CHECK("scene"."fog_of_war_enabled" IN (0, 1)),
	CONSTRAINT "scene_fog_of_war_gm_opacity_check" CHECK("scene"."fog_of_war_gm_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_player_opacity_check" CHECK("scene"."fog_of_war_player_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_color_check" CHECK("scene"."fog_of_war_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_notes_text_check" CHECK(length("scene"."notes_text") <= 10000)
);
--> statement-breakpoint
CREATE INDEX `scene_game_session_idx` ON `scene` (`game_session_id`);--> statement-breakpoint
CREATE TABLE `scene_blob` (
	`scene_id` text NOT NULL,
	`key` text NOT NULL,
	`data` blob NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`scene_id`, `key`),
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade
);
