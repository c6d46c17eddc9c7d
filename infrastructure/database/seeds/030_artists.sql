-- A dozen freelance artists across the three studios.
INSERT INTO artists (id, tenant_id, name, discipline, email, day_rate) VALUES
  ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Mara Okafor', 'Illustrator', 'mara@artists.example', 650),
  ('30000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Jonas Lind', '2D animator', 'jonas@artists.example', 600),
  ('30000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'Priya Raman', 'Compositor', 'priya@artists.example', 700),
  ('30000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'Tom Becker', 'Storyboard artist', 'tom@artists.example', 550),
  ('30000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000001', 'Aiko Sato', 'Concept artist', 'aiko@artists.example', 720),
  ('30000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000001', 'Luca Moretti', '3D modeller', 'luca@artists.example', 680),
  ('30000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000002', 'Ines Duarte', '3D animator', 'ines@artists.example', 640),
  ('30000000-0000-4000-8000-000000000008', '10000000-0000-4000-8000-000000000002', 'Sam Whitfield', 'Rigger', 'sam@artists.example', 610),
  ('30000000-0000-4000-8000-000000000009', '10000000-0000-4000-8000-000000000002', 'Noor Haddad', 'Lighting artist', 'noor@artists.example', 690),
  ('30000000-0000-4000-8000-000000000010', '10000000-0000-4000-8000-000000000002', 'Ben Carter', 'Editor', NULL, 500),
  ('30000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000003', 'Elif Yilmaz', 'Illustrator', 'elif@artists.example', 580),
  ('30000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000003', 'Oscar Nyberg', 'Motion designer', 'oscar@artists.example', NULL)
ON CONFLICT (id) DO NOTHING;
