FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN DJANGO_DEBUG=true python manage.py collectstatic --no-input -v 0
EXPOSE 8000
# uvicorn with realtime/wsprotocol.py (its websockets sans-I/O protocol holding less per socket),
# no per-message compression on broadcast sockets: the fastest and leanest server in
# bench/README.md. One process per core.
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", \
     "--ws", "realtime.wsprotocol:LeanWebSocketProtocol", \
     "--proxy-headers", "--no-access-log"]
