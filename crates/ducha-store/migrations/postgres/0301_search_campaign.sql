-- Issue 8: cases carry a campaign facet token (zzp<id>) so that a list's total can be read from the
-- search index alone. Emptying the column makes the start-up backfill recompute every case's tokens.
UPDATE cases SET search_tokens = '';
