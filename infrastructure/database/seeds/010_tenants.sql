-- Three studios. Fixed ids and ON CONFLICT DO NOTHING make every seed file safe to run again.
INSERT INTO tenants (id, slug, name) VALUES
  ('10000000-0000-4000-8000-000000000001', 'northlight', 'Northlight Studio'),
  ('10000000-0000-4000-8000-000000000002', 'harbour', 'Harbour Animation'),
  ('10000000-0000-4000-8000-000000000003', 'kiln', 'Kiln & Co')
ON CONFLICT (id) DO NOTHING;
