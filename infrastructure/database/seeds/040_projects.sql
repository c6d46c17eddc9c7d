-- Client projects: most active, one wrapped (its bookings are in the past).
INSERT INTO projects (id, tenant_id, name, client, status) VALUES
  ('40000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Aurora - title sequence', 'Northwind Films', 'active'),
  ('40000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Tidepool - series pilot', 'Blue Lantern TV', 'active'),
  ('40000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'Lumen - product launch', 'Lumen Audio', 'wrapped'),
  ('40000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'Kite - music video', 'Parallel Records', 'active'),
  ('40000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000002', 'Paper Boats - short film', 'Festival Fund', 'active'),
  ('40000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000002', 'Orbit - game trailer', 'Kestrel Games', 'active'),
  ('40000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000003', 'Harvest - packaging illustrations', 'Field & Fork', 'active')
ON CONFLICT (id) DO NOTHING;
