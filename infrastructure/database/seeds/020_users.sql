-- Each studio's staff, one row per role that studio uses (owner, producer, coordinator, viewer).
INSERT INTO users (id, tenant_id, email, name, role) VALUES
  ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'hana@northlight.example', 'Hana Ito', 'owner'),
  ('20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'felix@northlight.example', 'Felix Grant', 'producer'),
  ('20000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'rosa@northlight.example', 'Rosa Jimenez', 'coordinator'),
  ('20000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'dev@northlight.example', 'Dev Patel', 'viewer'),
  ('20000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000002', 'maeve@harbour.example', 'Maeve Byrne', 'owner'),
  ('20000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000002', 'kwame@harbour.example', 'Kwame Mensah', 'coordinator'),
  ('20000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000003', 'lena@kiln.example', 'Lena Vogel', 'owner'),
  ('20000000-0000-4000-8000-000000000008', '10000000-0000-4000-8000-000000000003', 'arjun@kiln.example', 'Arjun Rao', 'viewer')
ON CONFLICT (id) DO NOTHING;
