from hobnail.cli.main import app

app(prog_name="hobnail")
